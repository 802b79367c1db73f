/**
 * Downloads for the export menus (the board's, src/app/ExportMenu.tsx, and
 * the comparison's, src/compare/CompareExportMenu.tsx): fetching a file the
 * server makes and saving it under the name the server gives it.
 */
import { ApiError, apiFetch } from '../api/http';
import { fileNameFromDisposition } from '../export/download-name';

/** Saves fetched bytes under `name` through a temporary link, as a plain download would. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has the bytes once the click is handled; free them a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Fetches `url` and saves it under the server's Content-Disposition name
 * (else `fallbackName`). Throws an Error in plain words when it was not made.
 */
export async function downloadFrom(url: string, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await apiFetch(url);
  } catch (error) {
    if (error instanceof ApiError && error.status === 0) throw new Error('the server could not be reached');
    throw error;
  }
  const name = fileNameFromDisposition(response.headers.get('content-disposition')) ?? fallbackName;
  saveBlob(await response.blob(), name);
}
