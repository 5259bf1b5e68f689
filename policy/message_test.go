package policy

import "testing"

func TestMessage(t *testing.T) {
	const (
		user   = "arn:aws:iam::111122223333:user/alice"
		action = "cloudtrail:CreateTrail"
		res    = "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"
		head   = "User: " + user + " is not authorized to perform: " + action + " on resource: " + res
	)
	for _, tc := range []struct {
		d    Decision
		want string
	}{
		{Decision{Effect: ImplicitDeny, DeniedBy: Identity}, head + " because no identity-based policy allows the cloudtrail:CreateTrail action"},
		{Decision{Effect: ImplicitDeny, DeniedBy: SCP}, head + " because no service control policy allows the cloudtrail:CreateTrail action"},
		{Decision{Effect: ImplicitDeny, DeniedBy: Boundary}, head + " because no permissions boundary allows the cloudtrail:CreateTrail action"},
		{Decision{Effect: ImplicitDeny, DeniedBy: Session}, head + " because no session policy allows the cloudtrail:CreateTrail action"},
		{Decision{Effect: ImplicitDeny, DeniedBy: Resource}, head + " because no resource-based policy allows the cloudtrail:CreateTrail action"},
		{Decision{Effect: ImplicitDeny, DeniedBy: Trust}, head + " because no role trust policy allows the cloudtrail:CreateTrail action"},
		{Decision{Effect: ExplicitDeny, DeniedBy: Identity}, head + " with an explicit deny in an identity-based policy"},
		{Decision{Effect: ExplicitDeny, DeniedBy: SCP}, head + " with an explicit deny in a service control policy"},
		{Decision{Effect: ExplicitDeny, DeniedBy: Resource}, head + " with an explicit deny in a resource-based policy"},
		{Decision{Effect: ExplicitDeny, DeniedBy: Boundary}, head + " with an explicit deny in a permissions boundary"},
		{Decision{Effect: ExplicitDeny, DeniedBy: Session}, head + " with an explicit deny in a session policy"},
		{Decision{Effect: ExplicitDeny, DeniedBy: Trust}, head + " with an explicit deny in the role trust policy"},
		// A zero Decision is an implicit deny; without a policy type it is
		// attributed to identity policies, the default AWS reports.
		{Decision{}, head + " because no identity-based policy allows the cloudtrail:CreateTrail action"},
		{Decision{Effect: Allow}, ""},
	} {
		if got := tc.d.Message(user, action, res); got != tc.want {
			t.Errorf("%v/%v:\n got: %s\nwant: %s", tc.d.Effect, tc.d.DeniedBy, got, tc.want)
		}
	}
}

func TestMessageExactExample(t *testing.T) {
	// The example of the brief, reproduced through Evaluate.
	req := Request{Action: "cloudtrail:CreateTrail", Resource: "arn:aws:cloudtrail:us-east-1:111122223333:trail/main", Principal: alice}
	d := Evaluate(Input{Request: req})
	want := "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: cloudtrail:CreateTrail on resource: arn:aws:cloudtrail:us-east-1:111122223333:trail/main because no identity-based policy allows the cloudtrail:CreateTrail action"
	if got := d.Message(alice.ARN, req.Action, req.Resource); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestMessageWithoutResource(t *testing.T) {
	// AWS leaves out "on resource:" for some actions (the SCP and session
	// examples of "Troubleshooting access denied error messages").
	d := Decision{Effect: ImplicitDeny, DeniedBy: SCP}
	want := "User: arn:aws:iam::777788889999:user/John is not authorized to perform: codecommit:ListRepositories because no service control policy allows the codecommit:ListRepositories action"
	if got := d.Message("arn:aws:iam::777788889999:user/John", "codecommit:ListRepositories", ""); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
