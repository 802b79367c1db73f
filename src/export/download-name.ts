/**
 * The file name a server suggests in a Content-Disposition header: the
 * RFC 5987 `filename*` (UTF-8, so "Repairs – 2026-03-04.pdf" keeps its dash)
 * first, else the plain ASCII `filename`. Null when it names none.
 */
export function fileNameFromDisposition(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // A broken encoding: fall back to the plain name.
    }
  }
  const plain = /filename="([^"]+)"/i.exec(disposition);
  return plain ? plain[1] : null;
}
