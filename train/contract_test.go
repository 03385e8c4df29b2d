package train

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// estimatorFiles are the files of the registered estimators and of the
// helpers only they use.
var estimatorFiles = []string{
	"direct.go", "directexact.go", "gsm.go", "exact.go", "arm.go", "disarm.go", "binary.go",
	"reinforce.go", "rebar.go", "relax.go", "imle.go", "perturbed.go", "sttopk.go",
	"allcodes.go", "codespace.go", "sog.go", "subsetparts.go", "batch.go",
}

// Every estimator keeps the contract an outside one has: in the estimator
// files a *VAE is used only through exported fields and methods (the step
// API) or passed to functions of those same files, which are checked in
// turn; no file reads the VAE's unexported buffers or calls its private
// helpers.
func TestEstimatorsUseOnlyTheStepAPI(t *testing.T) {
	fset := token.NewFileSet()
	local := map[string]bool{} // functions and methods declared in the estimator files
	var files []*ast.File
	for _, name := range estimatorFiles {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				local[fd.Name.Name] = true
			}
		}
	}
	isVAE := func(e ast.Expr) bool {
		st, ok := e.(*ast.StarExpr)
		if !ok {
			return false
		}
		id, ok := st.X.(*ast.Ident)
		return ok && id.Name == "VAE"
	}
	// Every file that declares a Step method is an estimator file: a new
	// estimator cannot escape the check by being left off the list.
	all, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range all["train"].Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && fd.Name.Name == "Step" && !slices.Contains(estimatorFiles, filepath.Base(name)) {
				t.Errorf("%s declares an estimator's Step but is not in estimatorFiles", name)
			}
		}
	}
	uses := 0
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			vaes := map[string]bool{}
			for _, fl := range []*ast.FieldList{fd.Recv, fd.Type.Params} {
				if fl == nil {
					continue
				}
				for _, p := range fl.List {
					if isVAE(p.Type) {
						for _, n := range p.Names {
							vaes[n.Name] = true
						}
					}
				}
			}
			if len(vaes) == 0 {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if id, ok := n.X.(*ast.Ident); ok && vaes[id.Name] {
						uses++
						if !ast.IsExported(n.Sel.Name) {
							t.Errorf("%s: %s reads %s.%s, which is not part of the step API", fset.Position(n.Pos()), fd.Name.Name, id.Name, n.Sel.Name)
						}
					}
				case *ast.CallExpr:
					for _, a := range n.Args {
						id, ok := a.(*ast.Ident)
						if !ok || !vaes[id.Name] {
							continue
						}
						name := ""
						switch fn := n.Fun.(type) {
						case *ast.Ident:
							name = fn.Name
						case *ast.SelectorExpr:
							name = fn.Sel.Name
						}
						if !local[name] {
							t.Errorf("%s: %s passes the VAE to %s, which is not an estimator file's function", fset.Position(n.Pos()), fd.Name.Name, name)
						}
					}
				}
				return true
			})
		}
	}
	if uses < 50 {
		t.Errorf("only %d uses of a *VAE found: the check finds nothing", uses)
	}
}
