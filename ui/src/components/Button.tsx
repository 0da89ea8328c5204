// Bootstrap Italia's button, in its markup (see ARCHITECTURE.md on design-react-kit).
import type { ButtonHTMLAttributes } from "react";

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  color?: "primary" | "secondary" | "danger";
  outline?: boolean;
  size?: "xs" | "sm" | "lg";
};

export function Button({ color = "primary", outline, size, className, type = "button", ...rest }: Props) {
  const cls = ["btn", `btn-${outline ? "outline-" : ""}${color}`, size && `btn-${size}`, className]
    .filter(Boolean)
    .join(" ");
  return <button type={type} className={cls} {...rest} />;
}
