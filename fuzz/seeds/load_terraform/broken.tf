resource "aws_lambda_function" "f" {
  runtime = 
  role = "${unterminated
  handler = [1, 2,
}
resource "aws_lambda_function" {
locals { a = { b = { c = [[[[[[[[{ d = 1 }]]]]]]]] } } }
