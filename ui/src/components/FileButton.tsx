// A button that opens the system's file chooser: a label over a hidden file input
// (Bootstrap Italia has no file button of its own). The input is emptied after each
// choice, so that choosing the same file again, corrected, is seen as a new choice.
import { useId } from "react";

export function FileButton(p: {
  label: string;
  busyLabel: string;
  busy: boolean;
  accept?: string;
  onFile: (file: File) => void;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="btn btn-outline-primary btn-sm">
        {p.busy ? p.busyLabel : p.label}
      </label>
      <input
        id={id}
        type="file"
        accept={p.accept}
        className="visually-hidden"
        disabled={p.busy}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) p.onFile(file);
        }}
      />
    </>
  );
}
