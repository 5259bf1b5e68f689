package awsjson

// cloudTrailRename names DescribeTrails' members, the only lowerCamel
// members of CloudTrail (spec §1.1); every other member is PascalCase, the
// Go field name. It is one map for the life of the process: the codec's
// plan cache keys on its identity.
var cloudTrailRename = map[string]string{
	"DescribeTrailsInput.TrailNameList":       "trailNameList",
	"DescribeTrailsInput.IncludeShadowTrails": "includeShadowTrails",
	"DescribeTrailsOutput.TrailList":          "trailList",
}

// CloudTrail is the JSON 1.1 binding of CloudTrail (CloudTrail_20131101).
// DescribeTrails is the one operation whose members are lowerCamel.
func CloudTrail() Service {
	return Service{
		TargetPrefix: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101",
		Naming:       Naming{Rename: cloudTrailRename},
		Rename:       map[string]string{"AccessDenied": "AccessDeniedException"},
	}
}
