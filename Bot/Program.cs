using CustomerAdvocateBot;

var builder = WebApplication.CreateBuilder(args);
builder.AddCustomerAdvocateBot();

var app = builder.Build();
app.MapCustomerAdvocateBot();
app.Run();

/// <summary>Entry point; public so the functional tests can host the app.</summary>
public partial class Program;
