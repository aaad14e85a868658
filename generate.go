package accountkit

// The generated clients and models. Each spec in openapi/ has one config;
// `go generate ./...` reproduces the committed *.gen.go files exactly.
//go:generate go tool -modfile=tools.mod oapi-codegen -config openapi/paxos.config.yaml openapi/paxos.yaml
//go:generate go tool -modfile=tools.mod oapi-codegen -config openapi/marketplace.config.yaml openapi/marketplace.yaml
//go:generate go tool -modfile=tools.mod oapi-codegen -config openapi/accountgroups.config.yaml openapi/accountgroups.yaml
