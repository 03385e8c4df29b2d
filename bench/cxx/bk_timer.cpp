// bk_timer: solve a DIMACS max-flow file with the Boykov–Kolmogorov
// library of Debian's libmaxflow-dev (maxflow 3.0.4, Graph<double,...>)
// and print the flow and the time of building the graph and solving it,
// the same span that cmd/maxflow reports as "solve". Built and run only
// by bench/cxx_maxflow.sh; no part of the Go build or tests.
//
// Usage: bk_timer FILE.max
#include <maxflow.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using maxflow::Graph_DDD;

struct Arc {
	int from, to;
	double cap;
};

int main(int argc, char **argv) {
	if (argc != 2) {
		std::fprintf(stderr, "usage: bk_timer FILE.max\n");
		return 2;
	}
	FILE *f = std::fopen(argv[1], "r");
	if (!f) {
		std::perror(argv[1]);
		return 1;
	}
	int nodes = -1, s = -1, t = -1;
	std::vector<Arc> arcs;
	char line[4096];
	while (std::fgets(line, sizeof line, f)) {
		if (line[0] == 'p') {
			long m;
			if (std::sscanf(line, "p max %d %ld", &nodes, &m) != 2) {
				std::fprintf(stderr, "bad p line\n");
				return 1;
			}
			arcs.reserve(m);
		} else if (line[0] == 'n') {
			int id;
			char kind;
			if (std::sscanf(line, "n %d %c", &id, &kind) != 2) {
				std::fprintf(stderr, "bad n line\n");
				return 1;
			}
			(kind == 's' ? s : t) = id - 1;
		} else if (line[0] == 'a') {
			char *p = line + 1;
			Arc a;
			a.from = (int)std::strtol(p, &p, 10) - 1;
			a.to = (int)std::strtol(p, &p, 10) - 1;
			a.cap = std::strtod(p, &p);
			arcs.push_back(a);
		}
	}
	std::fclose(f);
	if (nodes < 2 || s < 0 || t < 0) {
		std::fprintf(stderr, "incomplete DIMACS file\n");
		return 1;
	}
	auto t0 = std::chrono::steady_clock::now();
	// The same graph as maxflow.Instance.Load: arcs out of s and into t
	// become terminal capacities, arcs into s and out of t are dropped,
	// direct s→t arcs add a constant.
	Graph_DDD g(nodes, (int)arcs.size());
	g.add_node(nodes);
	double offset = 0;
	for (const Arc &a : arcs) {
		if (a.to == s || a.from == t) {
			continue;
		} else if (a.from == s && a.to == t) {
			offset += a.cap;
		} else if (a.from == s) {
			g.add_tweights(a.to, a.cap, 0);
		} else if (a.to == t) {
			g.add_tweights(a.from, 0, a.cap);
		} else {
			g.add_edge(a.from, a.to, a.cap, 0);
		}
	}
	double flow = g.maxflow() + offset;
	auto t1 = std::chrono::steady_clock::now();
	std::printf("flow %.17g\nsolve_ns %lld\n", flow,
	            (long long)std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
	return 0;
}
