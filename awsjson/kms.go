package awsjson

// KMS is the JSON 1.1 binding of AWS KMS (TrentService). Every member is
// PascalCase, as in the model; the generic authorization failure is
// AccessDeniedException.
func KMS() Service {
	return Service{
		TargetPrefix: "TrentService",
		Rename:       map[string]string{"AccessDenied": "AccessDeniedException"},
	}
}
