/** Log lines name the step; callers' and members' numbers appear only masked (see phone.ts). */
export function logInfo(step: string, message: string): void {
  console.log(`[pull-phone ${step}] ${message}`);
}

export function logError(step: string, message: string): void {
  console.error(`[pull-phone ${step}] ${message}`);
}
