package accountkit

// Ptr returns a pointer to a copy of v. It fills the few model fields that
// are pointers because absent and zero differ on the wire, such as
// paxos.UpdateAccountRequest.SetUserDisabled or marketplace.Eligibility's
// Client and Partner, where nil leaves the value unsent and a pointer to
// false sends false:
//
//	req := paxos.UpdateAccountRequest{Account: *account, SetUserDisabled: accountkit.Ptr(true)}
func Ptr[T any](v T) *T {
	return &v
}
