/**
 * Where the robot's card reader delivers what it read: the text of a card's QR code, as a USB/HID or
 * serial scanner (or the camera decoder) gives it. Validation is the IdReader's job, not the scanner's.
 */
export interface CardScanner {
  /** The next card presented; rejects when `signal` aborts (the conversation moved on). */
  nextScan(signal: AbortSignal): Promise<string>;
}
