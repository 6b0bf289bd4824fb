import { extensionForMimeType, fileNameFromUri, safeFileName } from './language';

/** Bytes from a server (image, audio, blob resource) for the UI to save to a file and open. */
export interface BinaryPart {
  kind: 'binary';
  /** What block it came from. */
  source: 'image' | 'audio' | 'resource';
  mimeType: string;
  /** Decoded bytes (Save As, temp file for the image viewer). */
  data: Buffer;
  size: number;
  /** A safe file name (no path separators), from the resource's URI or the MIME type. */
  suggestedFileName: string;
  uri?: string;
}

/** A `resource_link` or an embedded `resource` block: something the UI can open (read) or show. */
export interface ResourcePart {
  kind: 'resource';
  /** `false` for `resource_link` (read it with resources/read to open it), `true` for embedded contents. */
  embedded: boolean;
  uri: string;
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  /** Declared size (links) or actual size in bytes (embedded). */
  size?: number;
  /** Embedded text, exactly as sent. */
  text?: string;
  /** Language id for `text` (from the MIME type, then the URI's extension). */
  language?: string;
  /** Embedded blob, decoded. */
  data?: Buffer;
  suggestedFileName?: string;
}

/** A text block of a tool result, exactly as sent. */
export interface TextPart {
  kind: 'text';
  text: string;
}

/** `structuredContent` of a tool result. */
export interface StructuredPart {
  kind: 'structured';
  value: unknown;
  /** Pretty JSON (2 spaces). */
  json: string;
}

/** A content block of a type this version does not know: kept so nothing silently disappears. */
export interface UnknownPart {
  kind: 'unknown';
  type: string;
  json: string;
}

export type RenderedPart = TextPart | StructuredPart | BinaryPart | ResourcePart | UnknownPart;

/** Decodes base64 (standard or URL-safe, whitespace tolerated) into bytes. */
export function decodeBase64(data: string): Buffer {
  return Buffer.from(data, 'base64');
}

/** A file name for content: the URI's last segment when it has one, else `<base>-<n>.<ext>` from the MIME type. */
export function suggestFileName(mimeType: string | undefined, index: number, base: string, uri?: string): string {
  const fromUri = fileNameFromUri(uri);
  if (fromUri && fromUri.includes('.')) return safeFileName(fromUri, `${base}-${index}.${extensionForMimeType(mimeType)}`);
  const ext = extensionForMimeType(mimeType);
  const stem = fromUri ? safeFileName(fromUri, base) : `${safeFileName(base, 'result')}-${index}`;
  return `${stem}.${ext}`;
}
