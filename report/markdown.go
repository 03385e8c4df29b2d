package report

import (
	"strings"
	"unicode/utf8"
)

// Markdown renders a GitHub-flavoured Markdown table with columns padded to a
// common width (at least 3, the minimal "---" rule). Pipes in cells are
// escaped as `\|` and newlines replaced by spaces. Rows shorter than the
// widest row are padded with empty cells; if a row is wider than header the
// header is padded with empty cells too. Cost O(total cell length).
func Markdown(header []string, rows [][]string) string {
	ncol := len(header)
	for _, r := range rows {
		ncol = max(ncol, len(r))
	}
	if ncol == 0 {
		return ""
	}
	cell := func(r []string, j int) string {
		if j >= len(r) {
			return ""
		}
		s := strings.ReplaceAll(r[j], "|", `\|`)
		s = strings.ReplaceAll(s, "\r\n", " ")
		return strings.ReplaceAll(s, "\n", " ")
	}
	width := make([]int, ncol)
	for j := range width {
		width[j] = max(3, utf8.RuneCountInString(cell(header, j)))
		for _, r := range rows {
			width[j] = max(width[j], utf8.RuneCountInString(cell(r, j)))
		}
	}
	var b strings.Builder
	line := func(r []string) {
		b.WriteByte('|')
		for j := range ncol {
			s := cell(r, j)
			b.WriteByte(' ')
			b.WriteString(s)
			b.WriteString(strings.Repeat(" ", width[j]-utf8.RuneCountInString(s)))
			b.WriteString(" |")
		}
		b.WriteByte('\n')
	}
	line(header)
	b.WriteByte('|')
	for j := range ncol {
		b.WriteString(strings.Repeat("-", width[j]+2))
		b.WriteByte('|')
	}
	b.WriteByte('\n')
	for _, r := range rows {
		line(r)
	}
	return b.String()
}
