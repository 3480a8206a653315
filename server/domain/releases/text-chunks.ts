// Text cut into write(2)-sized buffers that own their memory, so they can move to the file writer thread.

/** Bytes gathered per file before one write(2): large enough to be fast, small enough to keep memory flat. */
const WRITE_CHUNK = 1 << 16;

/**
 * Encodes text as UTF-8 straight into WRITE_CHUNK-sized buffers and hands each one to `out` when the next
 * text might not fit. Every buffer handed out owns its memory (offset 0, never pooled) and is not touched
 * again, so `out` may keep it or transfer it to another thread.
 */
export class TextChunks {
  private buffer = Buffer.allocUnsafeSlow(WRITE_CHUNK);
  private used = 0;

  constructor(private readonly out: (bytes: Buffer) => void) {}

  write(text: string) {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.used + text.length * 3 > WRITE_CHUNK) {
      this.flush();
      if (text.length * 3 > WRITE_CHUNK) {
        const big = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
        big.write(text, 0, 'utf8');
        this.out(big);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  flush() {
    if (this.used === 0) return;
    this.out(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafeSlow(WRITE_CHUNK);
    this.used = 0;
  }
}
