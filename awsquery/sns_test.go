package awsquery_test

import (
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/awsquery"
)

// SNS renames the funnel's AccessDenied to AuthorizationError with the
// action spelled as SNS spells it, and InternalFailure to InternalError;
// its own errors pass through.
func TestSNSErrors(t *testing.T) {
	p := awsquery.New(awsquery.SNS())
	denied := cairn.AccessDenied("User: arn:aws:iam::111122223333:user/x is not authorized to perform: sns:Publish on resource: " +
		"arn:aws:sns:us-east-1:111122223333:t because no resource-based policy allows the sns:Publish action")
	got := p.Normalize(denied)
	want := "User: arn:aws:iam::111122223333:user/x is not authorized to perform: SNS:Publish on resource: " +
		"arn:aws:sns:us-east-1:111122223333:t because no resource-based policy allows the SNS:Publish action"
	if got.Code != "AuthorizationError" || got.Status != 403 || got.Message != want {
		t.Fatalf("AccessDenied became %+v", got)
	}
	if got := p.Normalize(cairn.InternalFailure()); got.Code != "InternalError" || got.Status != 500 {
		t.Fatalf("InternalFailure became %+v", got)
	}
	nf := cairn.Errorf(404, "NotFound", "Topic does not exist")
	if got := p.Normalize(nf); got != nf {
		t.Fatalf("NotFound became %+v", got)
	}
	resp := p.EncodeError("req-1", p.Normalize(denied))
	body := string(resp.Body)
	if resp.Status != 403 || !strings.Contains(body, `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">`) ||
		!strings.Contains(body, "<Type>Sender</Type><Code>AuthorizationError</Code>") {
		t.Fatalf("error document %d %s", resp.Status, body)
	}
	// IAM keeps the generic spelling.
	if got := awsquery.New(awsquery.IAM()).Normalize(denied); got.Code != "AccessDenied" {
		t.Fatalf("IAM renamed AccessDenied to %s", got.Code)
	}
}

// TagResource and UntagResource answer with an empty result element, as
// their model's output shape asks; DeleteTopic with none.
func TestSNSEmptyResults(t *testing.T) {
	p := awsquery.New(awsquery.SNS())
	resp, err := p.Encode("req-1", &cairn.Operation{Name: "TagResource"}, &struct{}{})
	if err != nil {
		t.Fatal(err)
	}
	want := `<TagResourceResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><TagResourceResult/>` +
		`<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></TagResourceResponse>`
	if string(resp.Body) != want {
		t.Fatalf("TagResource:\n%s\n%s", resp.Body, want)
	}
	resp, err = p.Encode("req-2", &cairn.Operation{Name: "DeleteTopic"}, &struct{}{})
	if err != nil || strings.Contains(string(resp.Body), "DeleteTopicResult") {
		t.Fatalf("DeleteTopic: %s %v", resp.Body, err)
	}
}
