/** A place in the text, zero-based like `vscode.Position`, plus the length of what stands there. */
export interface TextRange {
  line: number;
  character: number;
  length: number;
}

/** A piece of editor text and where it starts in its document (one per selection). */
export interface TextSegment {
  text: string;
  line: number;
  character: number;
  /**
   * Where the selection lies in `text`, when `text` holds some of the line around it too: an
   * address the selection's edge cuts through is then invalid, and one outside it is left out.
   */
  selected?: { start: number; end: number };
}

/** One valid IP found in the text, in canonical form, with every place it was written. */
export interface FoundIp {
  originIp: string;
  occurrences: TextRange[];
}

/** Text that looks like an address but is not one single valid IP; never sent. */
export interface InvalidAddress extends TextRange {
  text: string;
  reason: string;
}

export interface Extraction {
  /** Distinct valid IPs, in the order of their first occurrence. */
  ips: FoundIp[];
  invalid: InvalidAddress[];
}
