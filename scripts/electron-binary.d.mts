/** The absolute path of the Electron binary installed in the project at `root`, or null. */
export function electronBinary(root: string): string | null;
