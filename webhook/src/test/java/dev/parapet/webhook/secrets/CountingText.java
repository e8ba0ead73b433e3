package dev.parapet.webhook.secrets;

/**
 * A text that counts every character read from it ({@code charAt}, and the length of every {@code
 * subSequence} / {@code toString} copy): the detectors read their input only through these, so the
 * count is the work done on the input, independent of the machine's speed.
 */
final class CountingText implements CharSequence {
  private final String text;
  private long reads;

  CountingText(String text) {
    this.text = text;
  }

  long reads() {
    return reads;
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public char charAt(int index) {
    reads++;
    return text.charAt(index);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    reads += end - start;
    return text.subSequence(start, end);
  }

  @Override
  public String toString() {
    reads += text.length();
    return text;
  }
}
