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
