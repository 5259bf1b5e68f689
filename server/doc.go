// Package server is Cairn's single HTTP listener and the Dispatch funnel
// through which every operation of every service passes: accept, identify,
// authenticate, decode, authorize, invoke, encode, record.
//
// Guarantees: every request that reaches Dispatch with a known access key
// produces exactly one audit event, whether it succeeded, was denied or
// failed; the response is written only after that event is durable; if the
// event cannot be made durable the caller gets InternalFailure instead
// (fail closed). Errors that are not *cairn.Error never reach the wire:
// they are logged with the request ID and rendered as InternalFailure.
package server
