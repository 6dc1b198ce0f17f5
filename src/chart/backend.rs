//! One drawing backend for every surface the charts go to: the page's canvas (wasm only) or an
//! SVG document. `chart::draw` and everything it calls are generic over the backend; drawing
//! both surfaces through this one type compiles them once instead of once per backend (in the
//! wasm, the SVG export's copy was about 50 KB of code).
//!
//! Every call is handed on unchanged to the backend inside, so the pixels and the SVG text are
//! exactly those of drawing on `CanvasBackend` or `SVGBackend` directly. The styles and paths
//! are passed on in one concrete form each (a colour and a width; a `Vec` of points), so each
//! inner backend's methods are compiled once too.

use plotters::prelude::SVGBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use std::fmt;

#[cfg(target_arch = "wasm32")]
use plotters_canvas::CanvasBackend;

/// A chart's surface: an SVG document, or in the browser a canvas.
pub enum ChartBackend<'a> {
    Svg(SVGBackend<'a>),
    #[cfg(target_arch = "wasm32")]
    Canvas(CanvasBackend),
}

/// What went wrong in the backend inside, as its message.
#[derive(Debug)]
pub struct BackendError(String);

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BackendError {}

type Drawn = Result<(), DrawingErrorKind<BackendError>>;

fn convert<E: std::error::Error + Send + Sync>(
    e: DrawingErrorKind<E>,
) -> DrawingErrorKind<BackendError> {
    match e {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(BackendError(e.to_string()))
        }
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    }
}

/// A shape's style as the backends read it: only its colour and stroke width.
#[derive(Clone, Copy)]
struct Style {
    color: BackendColor,
    width: u32,
}

impl Style {
    fn of<S: BackendStyle>(style: &S) -> Self {
        Style {
            color: style.color(),
            width: style.stroke_width(),
        }
    }
}

impl BackendStyle for Style {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

/// Calls `$call` on whichever backend is inside, converting its error.
macro_rules! delegate {
    ($self:expr, $b:ident => $call:expr) => {
        match $self {
            ChartBackend::Svg($b) => $call.map_err(convert),
            #[cfg(target_arch = "wasm32")]
            ChartBackend::Canvas($b) => $call.map_err(convert),
        }
    };
}

impl ChartBackend<'_> {
    #[inline(never)]
    fn line(&mut self, from: BackendCoord, to: BackendCoord, style: Style) -> Drawn {
        delegate!(self, b => b.draw_line(from, to, &style))
    }

    #[inline(never)]
    fn rect(&mut self, corners: (BackendCoord, BackendCoord), style: Style, fill: bool) -> Drawn {
        delegate!(self, b => b.draw_rect(corners.0, corners.1, &style, fill))
    }

    #[inline(never)]
    fn path(&mut self, path: Vec<BackendCoord>, style: Style) -> Drawn {
        delegate!(self, b => b.draw_path(path, &style))
    }

    #[inline(never)]
    fn circle(&mut self, center: BackendCoord, radius: u32, style: Style, fill: bool) -> Drawn {
        delegate!(self, b => b.draw_circle(center, radius, &style, fill))
    }

    #[inline(never)]
    fn polygon(&mut self, vertices: Vec<BackendCoord>, style: Style) -> Drawn {
        delegate!(self, b => b.fill_polygon(vertices, &style))
    }
}

impl DrawingBackend for ChartBackend<'_> {
    type ErrorType = BackendError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            ChartBackend::Svg(b) => b.get_size(),
            #[cfg(target_arch = "wasm32")]
            ChartBackend::Canvas(b) => b.get_size(),
        }
    }

    fn ensure_prepared(&mut self) -> Drawn {
        delegate!(self, b => b.ensure_prepared())
    }

    fn present(&mut self) -> Drawn {
        delegate!(self, b => b.present())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        delegate!(self, b => b.draw_pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        self.line(from, to, Style::of(style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        self.rect((upper_left, bottom_right), Style::of(style), fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        self.path(path.into_iter().collect(), Style::of(style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        self.circle(center, radius, Style::of(style), fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn {
        self.polygon(vert.into_iter().collect(), Style::of(style))
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Drawn {
        delegate!(self, b => b.draw_text(text, style, pos))
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<BackendError>> {
        delegate!(self, b => b.estimate_text_size(text, style))
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Drawn {
        delegate!(self, b => b.blit_bitmap(pos, size, src))
    }
}
