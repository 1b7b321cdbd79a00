variable "port" {
  description = "Port the cache listens on."
  type        = number
  default     = 6379
}
