// A project being written: files put at paths relative to its root, each recorded once, so an exporter can
// list what it shipped and a test can compare that list with the folder.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class ProjectDir {
  readonly files: string[] = [];
  constructor(readonly root: string) {}

  write(path: string, text: string): void {
    this.place(path);
    writeFileSync(join(this.root, path), text);
  }

  copy(path: string, from: string): void {
    this.place(path);
    copyFileSync(from, join(this.root, path));
  }

  private place(path: string): void {
    if (this.files.includes(path)) throw new Error(`${path} written twice into ${this.root}`);
    mkdirSync(dirname(join(this.root, path)), { recursive: true });
    this.files.push(path);
  }
}
