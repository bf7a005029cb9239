export interface BoundaryViolation {
  /** The importing file, relative to the src folder. */
  file: string;
  specifier: string;
  reason: string;
}

export function boundaryViolations(srcDir: string): BoundaryViolation[];
