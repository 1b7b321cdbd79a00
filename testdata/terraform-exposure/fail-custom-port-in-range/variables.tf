variable "port" {
  type    = number
  default = 6390
}
