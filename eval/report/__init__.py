"""Reports of runs and comparisons: self-contained HTML (inline CSS, JS and SVG) and Markdown."""
