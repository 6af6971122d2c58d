/** The thumbnail of a queued image in its details, asked of the engine once per item (or why there is none). */
import { useEffect, useState } from 'react';
import type { ItemThumbnail } from '../../common/api.ts';
import { actions } from '../store/index.ts';

export function ItemPreview({ id, name }: { id: number; name: string }) {
  const [thumb, setThumb] = useState<{ id: number; value: ItemThumbnail } | null>(null);
  useEffect(() => {
    let current = true;
    void actions()
      .loadThumbnail(id)
      .then((value) => {
        if (current) setThumb({ id, value });
      });
    return () => {
      current = false;
    };
  }, [id]);
  const value = thumb?.id === id ? thumb.value : null;
  return (
    <div className="item-preview" data-testid="item-preview">
      {value === null ? (
        <span className="muted small">Loading the preview…</span>
      ) : 'dataUrl' in value ? (
        <img src={value.dataUrl} alt={`Preview of ${name}`} />
      ) : (
        <span className="muted small">{value.unavailable}</span>
      )}
    </div>
  );
}
