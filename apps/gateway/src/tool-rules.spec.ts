import {
  isAttachment,
  isCanonicalPath,
  isUploadBody,
  needsBodyCheck,
  profileOf,
  refusalFor,
} from './tool-rules';

describe('tool rules', () => {
  const jupyter = profileOf('jupyterlab')!;
  const rstudio = profileOf('rstudio')!;

  it.each([
    ['GET', 'files/data/extract.csv', 'blocked_download'],
    ['GET', 'files', 'blocked_download'],
    ['GET', '%66iles/data/x.csv', 'blocked_download'],
    ['GET', '/files//data/x.csv', 'blocked_download'],
    ['GET', 'nbconvert/html/a.ipynb?download=true', 'blocked_download'],
    ['GET', 'view/data/x.csv', 'blocked_download'],
    ['GET', 'api/contents/data/x.png?format=base64&type=file', 'blocked_download'],
    ['GET', 'tree/data?download=1', 'blocked_download'],
  ])('Jupyter: %s %s is %s', (method, path, refusal) => {
    expect(refusalFor(jupyter, method, path)).toBe(refusal);
  });

  it.each([
    ['GET', 'lab'],
    ['GET', 'api/kernels/abc/channels'],
    ['GET', 'api/contents/analysis.ipynb?content=1'],
    ['GET', 'static/lab/main.js'],
    ['GET', 'profiles/x'],
  ])('Jupyter: %s %s passes', (method, path) => {
    expect(refusalFor(jupyter, method, path)).toBeUndefined();
  });

  it('RStudio: export and upload are refused', () => {
    expect(refusalFor(rstudio, 'GET', 'export/data.csv?name=x')).toBe('blocked_download');
    expect(refusalFor(rstudio, 'POST', 'upload')).toBe('blocked_upload');
    expect(refusalFor(rstudio, 'GET', 'file_show?path=%2Fdata%2Fx.csv')).toBe('blocked_download');
    expect(refusalFor(rstudio, 'POST', 'rpc/console_input')).toBeUndefined();
  });

  it('a tool with no profile has none (the gateway refuses it whole)', () => {
    expect(profileOf('vim')).toBeUndefined();
  });

  it('reads the body of writes to the contents API, and calls base64 or chunked ones uploads', () => {
    expect(needsBodyCheck(jupyter, 'PUT', 'api/contents/x.csv')).toBe(true);
    expect(needsBodyCheck(jupyter, 'GET', 'api/contents/x.csv')).toBe(false);
    expect(
      isUploadBody(Buffer.from(JSON.stringify({ type: 'file', format: 'base64', content: 'eA==' }))),
    ).toBe(true);
    expect(isUploadBody(Buffer.from(JSON.stringify({ type: 'file', format: 'text', chunk: 1 })))).toBe(true);
    expect(isUploadBody(Buffer.from('not json'))).toBe(true);
    expect(isUploadBody(Buffer.from(JSON.stringify({ type: 'notebook', format: 'json', content: {} })))).toBe(
      false,
    );
    expect(isUploadBody(Buffer.from(JSON.stringify({ type: 'directory' })))).toBe(false);
  });

  it('recognises an attachment whatever its case or parameters', () => {
    expect(isAttachment('attachment; filename="x.csv"')).toBe(true);
    expect(isAttachment(' Attachment')).toBe(true);
    expect(isAttachment('inline')).toBe(false);
    expect(isAttachment(undefined)).toBe(false);
  });

  it.each([
    '/w/x/tree/../files/a.csv',
    '/w/x/tree/%2e%2e/files/a.csv',
    '/w/x/tree/.%2E/files/a.csv',
    '/w/x/./files/a.csv',
    '/w/x/tree\\..\\files/a.csv',
    '/w/x/tree/%5c..%5cfiles/a.csv',
    '/w/x/fi%09les/a.csv',
    '/w/x/..',
    '/w/x/api/contents/a.csv?format=base64#',
    '/w/x/files#/a.csv',
  ])('a path the URL parser would rewrite is not canonical: %s', (path) => {
    expect(isCanonicalPath(path)).toBe(false);
  });

  it.each([
    '/w/x/api/status',
    '/w/x/lab/tree/analysis.ipynb',
    '/w/x/static/lab/main.js?v=1.2',
    '/w/x/api/contents/my%20data/a..b.csv',
    '/w/x/api/contents?path=../x',
    '/w/x/files...',
  ])('a path as browsers send it is canonical: %s', (path) => {
    expect(isCanonicalPath(path)).toBe(true);
  });
});
