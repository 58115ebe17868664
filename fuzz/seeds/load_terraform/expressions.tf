variable "env" {
  type    = string
  default = "prod"
}

variable "names" {
  default = ["a", "b", "c"]
}

locals {
  prefix  = "${var.env}-orders"
  upper   = upper(local.prefix)
  merged  = merge({ a = 1 }, { b = [for n in var.names : "${n}-x" if n != "b"] })
  picked  = lookup(local.merged, "a", 0) > 0 ? "yes" : "no"
  joined  = join(",", [for k, v in local.merged : k])
  splat   = aws_subnet.all[*].id
  nested  = try(local.merged.b[0], null)
  strings = format("%s-%03d", local.prefix, 7)
  self    = local.self
  weird   = unknown_function(1, 2)
  tmpl    = "%{ for n in var.names }${n}%{ endfor }"
}

resource "aws_lambda_function" "each" {
  for_each      = toset(var.names)
  function_name = "${local.prefix}-${each.key}"
  runtime       = var.env == "prod" ? "python3.13" : "nodejs14.x"
  role          = "arn:aws:iam::111122223333:role/${each.value}"
  timeout       = 3 * 10 - 1

  dynamic "vpc_config" {
    for_each = var.env == "prod" ? [1] : []
    content {
      subnet_ids = local.splat
    }
  }
}

resource "aws_lambda_function" "counted" {
  count         = length(var.names)
  function_name = "f-${count.index}"
  # warden:skip=CFG008 legacy function, retired next quarter
  runtime = "python2.7"
}
