package awsquery

// IAM is the Query binding of IAM.
func IAM() Service {
	return Service{XMLNS: "https://iam.amazonaws.com/doc/2010-05-08/", Version: "2010-05-08"}
}
