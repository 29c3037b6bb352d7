/**
 * A settings field's error in the words of the field: the contract checks the value the screen sends
 * (NaN for "abc", bytes for the memory budget typed in GB), so "(got NaN)" becomes what was typed and a
 * range in bytes becomes one in GB.
 */

const GB = 1e9;
const gb = (bytes: number) => {
  const v = bytes / GB;
  return v >= 10 ? Math.round(v).toLocaleString("en-US") : String(Number(v.toFixed(2)));
};

export function fieldMessage(setting: string, error: string, typed: string): string {
  const shown = typed.trim();
  const got = shown === "" ? "(it is empty)" : `(got ${JSON.stringify(shown)})`;
  if (/^must be a non-empty string/.test(error)) return "must not be empty";
  if (setting === "memoryBudgetBytes") {
    const range = /from (\d+) to (\d+)/.exec(error);
    if (range)
      return `must be from ${gb(Number(range[1]))} to ${gb(Number(range[2]))} GB, or empty for automatic ${got}`;
  }
  return error.replace(/\(got (NaN|null|-?\d[\d.e+-]*)\)$/, (whole, value: string) =>
    value === "NaN" || value === "null" ? got : whole,
  );
}
