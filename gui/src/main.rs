fn main() { println!("sisandbox-gui: the desktop front end is built in gui/"); }
