import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function cli(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
}

describe("metacomp --help", () => {
  it("shows a subcommand's own options, wherever --help sits", () => {
    const result = cli(["bench-codecs", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("metacomp bench-codecs");
    expect(result.stdout).toContain("--min-time");
    expect(cli(["bench-codecs", "/no/such/file", "-h"]).stdout).toContain("--pipelines");
  });

  it("resolves nested subcommands and falls back to the root usage", () => {
    expect(cli(["runs", "show", "--help"]).stdout).toMatch(/runs show \[OPTIONS\] <ID>/);
    const root = cli(["--help"]);
    expect(root.status).toBe(0);
    expect(root.stdout).toMatch(/USAGE.*metacomp compress\|decompress/);
  });
});

describe("numeric options", () => {
  it("refuses a value that is not a number of the right kind, naming the option (exit 2)", () => {
    const bad = cli(["decompress", "-", "-", "--max-output", "lots"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--max-output "lots" must be an integer ≥ 0');
    const block = cli(["bench-codecs", "/no/such/file", "--block", "0"]);
    expect(block.status).toBe(2);
    expect(block.stderr).toContain('--block "0" must be an integer ≥ 1');
  });
});

describe("npm run bench:learner", () => {
  function bench(args: string[]) {
    return spawnSync(process.execPath, ["--import", "tsx", "src/learner/bench.ts", ...args], {
      encoding: "utf8",
      timeout: 60_000,
    });
  }

  it("stops on a mistyped or malformed option before any work, with one line and exit 2", () => {
    const typo = bench(["--evolution-pior", "3"]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/^bench:learner: Unknown option '--evolution-pior'/);
    expect(typo.stderr.trim().split("\n")).toHaveLength(1);
    const malformed = bench(["--evolution-prior", "abc"]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toBe('bench:learner: --evolution-prior "abc" must be an integer ≥ 0\n');
    expect(bench(["--evolution-rounds", "10"]).stderr).toBe(
      'bench:learner: --evolution-rounds "10" must be an integer ≥ 50\n',
    );
    expect(bench(["--feature-bytes", "100"]).stderr).toMatch(
      /^bench:learner: --feature-bytes: feature sample of 100 bytes: use a multiple of 40 from 40 to 1280/,
    );
    expect(bench(["--novelty", "0.9,2"]).stderr).toMatch(/--novelty "0.9,2": .* from 0 to 1 \(got "2"\)/);
    expect(bench(["--leave-one-family-out", "--offline-seeds", "1"]).stderr).toBe(
      "bench:learner: --leave-one-family-out reports a CI over offline seeds: use --offline-seeds 2 or more\n",
    );
  });
});
