package report

import "testing"

func TestMarkdown(t *testing.T) {
	cases := []struct {
		name   string
		header []string
		rows   [][]string
		want   string
	}{
		{"basic", []string{"method", "loss"}, [][]string{{"direct", "98.1"}, {"gumbel-softmax", "101"}},
			"| method         | loss |\n" +
				"|----------------|------|\n" +
				"| direct         | 98.1 |\n" +
				"| gumbel-softmax | 101  |\n"},
		{"narrow and escaped", []string{"a", "b"}, [][]string{{"x|y", "1\n2"}},
			"| a    | b   |\n" +
				"|------|-----|\n" +
				"| x\\|y | 1 2 |\n"},
		{"ragged", []string{"k"}, [][]string{{"1", "2"}, {}},
			"| k   |     |\n" +
				"|-----|-----|\n" +
				"| 1   | 2   |\n" +
				"|     |     |\n"},
		{"unicode", []string{"ε", "ELBO"}, [][]string{{"±0.1", "−3"}},
			"| ε    | ELBO |\n" +
				"|------|------|\n" +
				"| ±0.1 | −3   |\n"},
		{"empty", nil, nil, ""},
	}
	for _, c := range cases {
		if got := Markdown(c.header, c.rows); got != c.want {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", c.name, got, c.want)
		}
	}
}
