import { runFolder } from '../index';

export function run(): Promise<void> {
  return runFolder(__dirname);
}
