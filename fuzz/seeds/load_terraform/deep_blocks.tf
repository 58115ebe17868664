resource "aws_lambda_function" "f" {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
b {
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
