// Package cairn is the shared vocabulary of Cairn: ARNs, principals, calls,
// errors, operation descriptors, and the clock and ID sources that every
// other package receives by injection. It performs no I/O.
//
// Services import this package, the policy package and the store and blob
// interfaces only; protocol adapters and the server translate between the
// wire and the shapes defined here.
package cairn
