variable "sessions_port" {
  description = "The port of the sessions cache."
  type        = number
  default     = 6379
}
