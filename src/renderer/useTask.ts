import { useCallback, useState } from 'react';
import { getApi } from './api/client.js';
import { useTaskPhase } from './components/TaskProgress.js';
import { useTaskPrompt } from './components/PromptForm.js';

/**
 * Runs one long engine call under a fresh task id: its progress phase and any prompt it
 * raises are followed until it ends; `cancel` stops it.
 */
export function useTask<T>() {
  const [taskId, setTaskId] = useState<string | null>(null);
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const phase = useTaskPhase(taskId);
  const prompt = useTaskPrompt(taskId);

  const run = useCallback(async (call: (taskId: string) => Promise<T>) => {
    const id = crypto.randomUUID();
    setTaskId(id);
    setResult(null);
    setError(null);
    try {
      const value = await call(id);
      setResult(value);
      return value;
    } catch (err) {
      setError(err);
      return null;
    } finally {
      setTaskId(null);
    }
  }, []);

  const cancel = useCallback(() => {
    if (taskId) void getApi()['task.cancel']({ taskId });
  }, [taskId]);

  return { taskId, running: taskId !== null, phase, prompt, result, error, run, cancel };
}
