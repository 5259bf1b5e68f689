package awsjson

// CloudTrail is the JSON 1.1 binding of CloudTrail (CloudTrail_20131101).
// DescribeTrails is the one operation whose members are lowerCamel.
func CloudTrail() Service {
	return Service{
		TargetPrefix: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101",
		Rename:       map[string]string{"AccessDenied": "AccessDeniedException"},
	}
}
