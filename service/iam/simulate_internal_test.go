package iam

import (
	"testing"

	"github.com/cairnhq/cairn"
)

// A stored policy the engine cannot read fails the simulation with IAM's
// PolicyEvaluation (a server fault), not as the caller's mistake.
func TestSimulatePolicyEvaluationError(t *testing.T) {
	sim := &simulation{
		actions: []string{"s3:GetObject"}, account: "123456789012",
		entity: &policySet{Identity: []sourcePolicy{{Document: `{"Statement":[{"Effect":"Maybe"}]}`, ID: "broken", Type: "user"}}},
	}
	_, err := sim.run()
	e := cairn.AsError(err)
	if e == nil || e.Code != "PolicyEvaluation" || e.Status != 500 || e.Sender() {
		t.Fatalf("got %v", err)
	}
}
