// Package server is Cairn's single HTTP listener and the Dispatch funnel
// through which every operation of every service passes: accept, identify,
// authenticate, decode, authorize, invoke, encode, record.
//
// Guarantees: every request that reaches Dispatch with a known access key
// produces exactly one audit event in the caller's account (and one copy in
// each other account its operation's Recipients name), whether it
// succeeded, was denied or failed; an unsigned request to a binding that
// serves anonymous callers (S3) produces exactly one event in each account
// its operation's Recipients name (the bucket owner's), and none when
// there is no such account. The response, including a streamed body, is
// written only after those events are durable; if they cannot be made
// durable the caller gets InternalFailure instead (fail closed). Errors
// that are not *cairn.Error never reach the wire: they are logged with the
// request ID and rendered as InternalFailure.
//
// Request bodies are read whole and capped by Config.MaxBody, except for
// the operations of a Stream binding that its protocol streams (S3 object
// uploads): those are handed to the operation as the sigv4 payload reader,
// never held in memory by the funnel, and verified as they are read (a
// mismatch surfaces as the protocol's error from the reader, and the
// operation stores nothing).
package server
