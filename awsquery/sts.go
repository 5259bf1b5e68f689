package awsquery

// STS is the Query binding of STS.
func STS() Service {
	return Service{XMLNS: "https://sts.amazonaws.com/doc/2011-06-15/", Version: "2011-06-15"}
}
