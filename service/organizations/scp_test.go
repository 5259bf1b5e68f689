package organizations_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/cairnhq/cairn/policy"
	"github.com/cairnhq/cairn/service/organizations"
)

var bg = context.Background()

// scps calls SCPsFor and fails the test on an error.
func (e *env) scps(account string) ([][]string, string, bool) {
	e.t.Helper()
	levels, org, management, err := e.svc.SCPsFor(bg, account)
	if err != nil {
		e.t.Fatalf("SCPsFor %s: %v", account, err)
	}
	return levels, org, management
}

func (e *env) orgIDOf(account string) string {
	e.t.Helper()
	id, err := e.svc.OrgIDOf(bg, account)
	if err != nil {
		e.t.Fatalf("OrgIDOf %s: %v", account, err)
	}
	return id
}

func equalLevels(a, b [][]string) bool {
	return slices.EqualFunc(a, b, func(x, y []string) bool {
		x, y = slices.Clone(x), slices.Clone(y)
		slices.Sort(x)
		slices.Sort(y)
		return slices.Equal(x, y)
	})
}

func TestSCPsForLifecycle(t *testing.T) {
	e := newEnv(t)
	// No organization.
	if levels, org, management := e.scps(mgmt); levels != nil || org != "" || management {
		t.Fatalf("before any organization: %v %q %v", levels, org, management)
	}
	if id := e.orgIDOf(mgmt); id != "" {
		t.Fatalf("OrgIDOf before any organization: %q", id)
	}
	o := e.createOrg()
	root := e.rootID()
	dev := e.createAccount("dev")

	// SCPs not enabled: the management account is still the management
	// account; members are bound by nothing.
	if levels, org, management := e.scps(mgmt); levels != nil || org != o.Id || !management {
		t.Fatalf("management before enabling: %v %q %v", levels, org, management)
	}
	if levels, org, management := e.scps(dev); levels != nil || org != o.Id || management {
		t.Fatalf("member before enabling: %v %q %v", levels, org, management)
	}
	if e.orgIDOf(mgmt) != o.Id || e.orgIDOf(dev) != o.Id || e.orgIDOf(other) != "" {
		t.Fatalf("OrgIDOf %q %q %q", e.orgIDOf(mgmt), e.orgIDOf(dev), e.orgIDOf(other))
	}

	e.enableSCPs()
	want := [][]string{{fullAccessDoc}, {fullAccessDoc}}
	if levels, org, management := e.scps(dev); !equalLevels(levels, want) || org != o.Id || management {
		t.Fatalf("member after enabling: %v %q %v", levels, org, management)
	}
	if levels, _, management := e.scps(mgmt); levels != nil || !management {
		t.Fatalf("SCPs bind the management account: %v", levels)
	}

	// AttachPolicy to the account, then to the root.
	deny := e.createPolicy("deny", denyTrail)
	e.attach(deny.Id, dev)
	if levels, _, _ := e.scps(dev); !equalLevels(levels, [][]string{{fullAccessDoc}, {fullAccessDoc, denyTrail}}) {
		t.Fatalf("after attaching to the account: %v", levels)
	}
	e.attach(deny.Id, root)
	if levels, _, _ := e.scps(dev); !equalLevels(levels, [][]string{{fullAccessDoc, denyTrail}, {fullAccessDoc, denyTrail}}) {
		t.Fatalf("after attaching to the root: %v", levels)
	}

	// UpdatePolicy changes the documents of every level holding it.
	must[organizations.UpdatePolicyOutput](e, "UpdatePolicy", &organizations.UpdatePolicyInput{PolicyId: deny.Id, Content: sp(denyS3)})
	if levels, _, _ := e.scps(dev); !equalLevels(levels, [][]string{{fullAccessDoc, denyS3}, {fullAccessDoc, denyS3}}) {
		t.Fatalf("after UpdatePolicy: %v", levels)
	}

	// DetachPolicy.
	e.detach(deny.Id, root)
	if levels, _, _ := e.scps(dev); !equalLevels(levels, [][]string{{fullAccessDoc}, {fullAccessDoc, denyS3}}) {
		t.Fatalf("after detaching from the root: %v", levels)
	}
	e.detach(fullAccessID, dev)
	if levels, _, _ := e.scps(dev); !equalLevels(levels, [][]string{{fullAccessDoc}, {denyS3}}) {
		t.Fatalf("after detaching FullAWSAccess from the account: %v", levels)
	}

	// An account created now starts with FullAWSAccess.
	prod := e.createAccount("prod")
	if levels, _, _ := e.scps(prod); !equalLevels(levels, want) {
		t.Fatalf("new account: %v", levels)
	}

	// DisablePolicyType lifts every SCP.
	must[organizations.DisablePolicyTypeOutput](e, "DisablePolicyType", &organizations.DisablePolicyTypeInput{RootId: root, PolicyType: organizations.TypeSCP})
	if levels, org, _ := e.scps(dev); levels != nil || org != o.Id {
		t.Fatalf("after disabling: %v %q", levels, org)
	}
	if e.orgIDOf(dev) != o.Id {
		t.Fatal("OrgIDOf changed when SCPs were disabled")
	}
}

// The parsed form plugs into policy.Evaluate: an SCP denies a member
// account's root user, FullAWSAccess lets the rest through.
func TestSCPPoliciesEvaluate(t *testing.T) {
	e := newEnv(t)
	o := e.createOrg()
	e.enableSCPs()
	dev := e.createAccount("dev")
	deny := e.createPolicy("deny", denyTrail)
	e.attach(deny.Id, dev)

	levels, org, management, err := e.svc.SCPPolicies(bg, dev)
	if err != nil || org != o.Id || management || len(levels) != 2 || len(levels[0]) != 1 || len(levels[1]) != 2 {
		t.Fatalf("SCPPolicies: %v %q %v %v", levels, org, management, err)
	}
	names := []string{levels[0][0].Name, levels[1][0].Name, levels[1][1].Name}
	slices.Sort(names)
	if want := []string{deny.Arn, fullAccessARN, fullAccessARN}; !slices.Equal(names, want) {
		t.Fatalf("policy names %v, want %v", names, want)
	}
	for _, l := range levels {
		for _, p := range l {
			if p.Kind != policy.SCP {
				t.Fatalf("%s parsed as %v", p.Name, p.Kind)
			}
		}
	}
	decide := func(action string) policy.Decision {
		return policy.Evaluate(policy.Input{
			Request: policy.Request{
				Action: action, Resource: "*",
				Principal: policy.Principal{Type: policy.PrincipalRoot, ARN: "arn:aws:iam::" + dev + ":root", Account: dev},
			},
			SCPs: levels, Root: true,
		})
	}
	if d := decide("cloudtrail:StopLogging"); d.Effect != policy.ExplicitDeny || d.DeniedBy != policy.SCP {
		t.Fatalf("StopLogging: %+v", d)
	}
	if d := decide("cloudtrail:DescribeTrails"); !d.Allowed() {
		t.Fatalf("DescribeTrails: %+v", d)
	}
	if levels, _, management, _ := e.svc.SCPPolicies(bg, mgmt); levels != nil || !management {
		t.Fatalf("management account: %v %v", levels, management)
	}
	if levels, org, _, _ := e.svc.SCPPolicies(bg, other); levels != nil || org != "" {
		t.Fatalf("outsider: %v %q", levels, org)
	}
}

// Lookups racing writes never leave a stale answer behind: once the
// writes are done, every account reads the final state.
func TestSCPsForConcurrentWrites(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	e.enableSCPs()
	var members []string
	for i := range 4 {
		members = append(members, e.createAccount(fmt.Sprint("m", i)))
	}
	deny := e.createPolicy("deny", denyTrail)

	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, m := range members {
					if _, _, _, err := e.svc.SCPsFor(bg, m); err != nil {
						t.Errorf("SCPsFor: %v", err)
						return
					}
				}
			}
		}()
	}
	for i := range 10 {
		for _, m := range members {
			e.attach(deny.Id, m)
		}
		if i < 9 {
			for _, m := range members {
				e.detach(deny.Id, m)
			}
		}
	}
	close(stop)
	wg.Wait()
	for _, m := range members {
		if levels, _, _ := e.scps(m); !equalLevels(levels, [][]string{{fullAccessDoc}, {fullAccessDoc, denyTrail}}) {
			t.Fatalf("%s: %v", m, levels)
		}
	}
}

func BenchmarkSCPsForCached(b *testing.B) {
	e := newEnv(b)
	e.createOrg()
	e.enableSCPs()
	dev := e.createAccount("dev")
	e.attach(e.createPolicy("deny", denyTrail).Id, dev)
	if _, _, _, err := e.svc.SCPsFor(bg, dev); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, _, err := e.svc.SCPsFor(bg, dev); err != nil {
			b.Fatal(err)
		}
	}
}
