package awsjson

// Organizations is the JSON 1.1 binding of AWS Organizations
// (AWSOrganizationsV20161128). Every member is PascalCase, as in the
// model; the generic authorization failure is AccessDeniedException.
func Organizations() Service {
	return Service{
		TargetPrefix: "AWSOrganizationsV20161128",
		Rename:       map[string]string{"AccessDenied": "AccessDeniedException"},
	}
}
