package accountgroups

// The answer the package keeps unexported, under the name of the vendor's
// schema, for the tests in package accountgroups_test.
type AccountGroupList = accountGroupList
