/**
 * A QR code of a link, drawn as SVG squares. The encoder (npm `qrcode`) is
 * fetched the first time a code is shown, so the board list and the board
 * do not carry it in their first load.
 */
import { useEffect, useState } from 'react';

type Matrix = { size: number; dark: (row: number, col: number) => boolean };

async function encode(text: string): Promise<Matrix> {
  const { create } = await import('qrcode');
  // Medium error correction: still reads from a projector across a room, without too many squares.
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, dark: (row, col) => Boolean(modules.get(row, col)) };
}

export function QrCode({ text, size, label }: { text: string; size: number | string; label: string }) {
  const [state, setState] = useState<{ text: string; matrix: Matrix | null; failed: boolean }>({
    text: '',
    matrix: null,
    failed: false,
  });
  useEffect(() => {
    let cancelled = false;
    encode(text).then(
      (matrix) => !cancelled && setState({ text, matrix, failed: false }),
      () => !cancelled && setState({ text, matrix: null, failed: true }),
    );
    return () => {
      cancelled = true;
    };
  }, [text]);

  const matrix = state.text === text ? state.matrix : null;
  if (state.text === text && state.failed) {
    return (
      <p className="qr-failed" role="alert">
        The QR code could not be drawn; share the link instead.
      </p>
    );
  }
  if (!matrix) {
    return (
      <div className="qr-code is-loading" style={{ width: size, height: size }} aria-label="Drawing the QR code" />
    );
  }
  // One path of unit squares, with the quiet zone (4 modules) the standard asks for around it.
  const quiet = 4;
  const extent = matrix.size + quiet * 2;
  let path = '';
  for (let row = 0; row < matrix.size; row++) {
    for (let col = 0; col < matrix.size; col++) {
      if (matrix.dark(row, col)) path += `M${col + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      data-testid="qr-code"
      viewBox={`0 0 ${extent} ${extent}`}
      style={{ width: size, height: size }}
      shapeRendering="crispEdges"
    >
      <rect width={extent} height={extent} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
