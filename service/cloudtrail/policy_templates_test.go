package cloudtrail_test

import (
	"encoding/json"
	"testing"

	"github.com/cairnhq/cairn/service/cloudtrail"
)

func TestPolicyTemplateBuckets(t *testing.T) {
	for name, want := range map[string]bool{
		"awscloudtrail-policy-us-east-1": true, "awscloudtrail-policy-eu-west-3": true,
		"awscloudtrail-policy-zz-aaaa-1": false, "awscloudtrail-policy-": false, "my-bucket": false,
	} {
		if _, ok := cloudtrail.PolicyTemplateBucket(name); ok != want {
			t.Errorf("PolicyTemplateBucket(%q) = %v", name, ok)
		}
	}
	for key, body := range cloudtrail.PolicyTemplates() {
		if !json.Valid(body) {
			t.Errorf("%s is not JSON", key)
		}
	}
	if len(cloudtrail.PolicyTemplates()) != 2 {
		t.Fatal("want the S3 and the SNS template")
	}
}
