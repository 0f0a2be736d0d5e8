// A Code 128 or Code 39 barcode or a QR code drawn as SVG by bwip-js (only these encoders are
// bundled). Black on white with a quiet zone, so a counter scanner (or zbarimg) reads it from the screen.
import { code128, code39, drawingSVG, qrcode, type RenderOptions } from 'bwip-js/generic';
import { useMemo } from 'preact/hooks';

export type Symbology = 'code128' | 'code39' | 'qrcode';

function draw(kind: Symbology, text: string): string {
  if (kind === 'code39') {
    return code39(
      { bcid: 'code39', text, scale: 2, height: 16, paddingwidth: 12, paddingheight: 4, backgroundcolor: 'FFFFFF', barcolor: '000000' },
      drawingSVG(),
    );
  }
  if (kind === 'code128') {
    return code128(
      {
        bcid: 'code128',
        text,
        scale: 2,
        height: 16,
        paddingwidth: 12,
        paddingheight: 4,
        backgroundcolor: 'FFFFFF',
        barcolor: '000000',
      },
      drawingSVG(),
    );
  }
  // eclevel is a BWIPP option the typings do not list.
  const opts = { bcid: 'qrcode', text, scale: 4, eclevel: 'M', padding: 4, backgroundcolor: 'FFFFFF', barcolor: '000000' };
  return qrcode(opts as RenderOptions, drawingSVG());
}

/**
 * The symbol for text. label names it for screen readers ("Barcode of card 2026…"); the text
 * itself is shown by the caller in large digits.
 */
export function Barcode({ kind, text, label, class: cls }: { kind: Symbology; text: string; label: string; class?: string }) {
  const svg = useMemo(() => {
    try {
      return draw(kind, text);
    } catch {
      return null;
    }
  }, [kind, text]);
  const base = `barcode barcode--${kind}${cls ? ` ${cls}` : ''}`;
  if (svg === null) {
    return (
      <div class={base} role="img" aria-label={label}>
        <p class="barcode__text">{text}</p>
      </div>
    );
  }
  // bwip-js output is a plain SVG string made from our own text; no markup from the network.
  return <div class={base} role="img" aria-label={label} dangerouslySetInnerHTML={{ __html: svg }} />;
}
