import { ValidationError } from '@tre/core';
import type { NewOutputFile } from '@tre/outputs';

/** The part of a multer file the airlock reads (memory storage, so the bytes are in `buffer`). */
export interface UploadedPart {
  readonly originalname: string;
  readonly buffer: Buffer;
}

export interface UploadedParts {
  file?: UploadedPart[];
  record?: UploadedPart[];
}

/** One output file and its optional record, given as a text field or as a second file part. */
export function outputFileOf(
  parts: UploadedParts | undefined,
  recordField: string | undefined,
): NewOutputFile {
  const file = parts?.file?.[0];
  if (!file) throw new ValidationError('Send the output as a multipart file part named "file"');
  const recordPart = parts?.record?.[0];
  if (recordPart && recordField !== undefined)
    throw new ValidationError('Send the record once: as a field or as a file part named "record", not both');
  return {
    fileName: file.originalname,
    content: file.buffer,
    recordText: recordPart ? recordPart.buffer.toString('utf8') : recordField,
  };
}
