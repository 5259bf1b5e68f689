package awsjson

// Logs is the JSON 1.1 binding of Amazon CloudWatch Logs (Logs_20140328).
// Every member is lowerCamel, as in the model; the generic authorization
// failure is AccessDeniedException.
func Logs() Service {
	return Service{
		TargetPrefix: "Logs_20140328",
		Naming:       Naming{LowerCamel: true},
		Rename:       map[string]string{"AccessDenied": "AccessDeniedException"},
	}
}
