/**
 * The map as a PNG: the board's SVG (src/export/board-svg.ts) rendered by
 * resvg at 2× for slides, with the DejaVu fonts shipped in node_modules and
 * no system fonts, so every machine draws the same glyphs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
/** The folder of the DejaVu TTFs (the dejavu-fonts-ttf package). */
export const DEJAVU_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const DEJAVU_FONTS = {
  regular: path.join(DEJAVU_DIR, 'DejaVuSans.ttf'),
  bold: path.join(DEJAVU_DIR, 'DejaVuSans-Bold.ttf'),
  oblique: path.join(DEJAVU_DIR, 'DejaVuSans-Oblique.ttf'),
  boldOblique: path.join(DEJAVU_DIR, 'DejaVuSans-BoldOblique.ttf'),
};

/** PNG pixels per SVG px: slides want a sharp picture. */
export const PNG_SCALE = 2;
/** The longest side a PNG gets: a huge map is drawn smaller than 2× rather than as a picture no viewer opens. */
export const PNG_MAX_SIDE = 16_000;

/** The scale a map of this size is drawn at: 2×, or less when that would pass PNG_MAX_SIDE. */
export function pngScaleFor(width: number, height: number): number {
  return Math.min(PNG_SCALE, PNG_MAX_SIDE / Math.max(width, height, 1));
}

function options(scale: number): ResvgRenderOptions {
  return {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: {
      fontFiles: Object.values(DEJAVU_FONTS),
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  };
}

/**
 * Renders on resvg's own thread: a large map takes a second or two, and the
 * server keeps syncing every other board meanwhile.
 */
export async function svgToPng(svg: string, scale = PNG_SCALE): Promise<Buffer> {
  return (await renderAsync(svg, options(scale))).asPng();
}
